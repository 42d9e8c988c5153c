<?xml version="1.0" encoding="UTF-8"?>
<!--
  Drama to HTML (mode st:html): cast lists, speeches, speakers, stage directions.

  A speech is a div with an id (its xml:id or docid-sN), which the person index links
  back to; its speaker links to the index entry of the person speaking (sp/@who) when the
  document's register or the authority files identify them. A stage direction is a block
  (p) between speeches and lines, a phrase (span) inside a line, a speech's paragraph or
  another stage direction (html-structure.xsl, st:inline-context).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:castList" mode="st:html">
    <section class="castList">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'castList'"/>
      </xsl:call-template>
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </section>
  </xsl:template>

  <xsl:template match="tei:castGroup" mode="st:html">
    <li>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'castGroup'"/>
      </xsl:call-template>
      <xsl:apply-templates select="tei:head" mode="#current"/>
      <ul>
        <xsl:apply-templates select="node() except tei:head" mode="#current"/>
      </ul>
    </li>
  </xsl:template>

  <xsl:template match="tei:castGroup/tei:head" mode="st:html" priority="2">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'head'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <!-- A role description next to its group's items: an item of the list, not loose text. -->
  <xsl:template match="tei:castGroup/tei:roleDesc | tei:castList/tei:roleDesc" mode="st:html"
      priority="2">
    <li class="roleDesc"><xsl:apply-templates mode="#current"/></li>
  </xsl:template>

  <xsl:template match="tei:role | tei:roleDesc | tei:actor | tei:roleName" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:sp" mode="st:html st:flow">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'sp'"/>
      </xsl:call-template>
      <xsl:if test="@xml:id or @who">
        <xsl:attribute name="id" select="st:speech-anchor(.)"/>
      </xsl:if>
      <xsl:apply-templates mode="st:flow"/>
    </div>
  </xsl:template>

  <!-- The speaker's name, linked to the index entry of the (first) person speaking unless it
       holds links of its own. -->
  <xsl:template match="tei:speaker" mode="st:html st:flow">
    <xsl:variable name="sp" select="ancestor::tei:sp[1]"/>
    <xsl:variable name="link" select="if ($site and . is $sp/tei:speaker[1]
        and not(.//*[self::tei:ref or self::tei:ptr or st:linked(.)]) and not(ancestor::tei:ref))
        then st:speaker-link($sp) else ()"/>
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'speaker'"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="exists($link)">
          <a href="{$link[1]}" title="{$link[2]}">
            <xsl:apply-templates mode="st:html"/>
          </a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates mode="st:html"/>
        </xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <!-- Where a speech's speaker links to and what the link says of them (href, title), or
       nothing when the document's register and the authority files do not identify the
       first person speaking. Worked out once per @who for the document being transformed
       (a play has thousands of speeches by a few dozen people), here for any other. -->
  <xsl:function name="st:speaker-link" as="xs:string*">
    <xsl:param name="sp" as="element(tei:sp)"/>
    <xsl:sequence select="if (root($sp) is $st:source) then $st:speaker-links(string($sp/@who))
        else st:person-link(string($sp/@who), $sp)"/>
  </xsl:function>

  <xsl:variable name="st:speaker-links" as="map(xs:string, xs:string*)"
      select="map:merge(distinct-values($st:source//tei:sp/@who ! string())
          ! map{.: st:person-link(., $st:source)})"/>

  <!-- The link (href, title) to the index entry of the first person in $who, as resolved from
       $context. -->
  <xsl:function name="st:person-link" as="xs:string*">
    <xsl:param name="who" as="xs:string"/>
    <xsl:param name="context" as="node()"/>
    <xsl:variable name="entity" select="st:resolve(tokenize(normalize-space($who))[1], $context)"/>
    <xsl:variable name="kind" select="string($entity ! $st:kind-of-entity(local-name()))"/>
    <xsl:sequence select="if ($kind != '' and map:contains($st:index-pages, $kind))
        then ($st:index-pages($kind) || '#' || st:entity-entry-id($entity), st:summary($entity))
        else ()"/>
  </xsl:function>

  <xsl:template match="tei:stage" mode="st:html st:flow">
    <p>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'stage'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="st:html"/>
    </p>
  </xsl:template>

</xsl:stylesheet>
