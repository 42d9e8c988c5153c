<?xml version="1.0" encoding="UTF-8"?>
<!-- An index as an HTML page: letter navigation, entries, occurrences linked to the text. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="common.xsl"/>
  <xsl:import href="page.xsl"/>
  <xsl:import href="index.xsl"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:index-html" on-no-match="fail"/>

  <!-- The whole page, from TEI documents, their records or the computed entries. -->
  <xsl:template match="/">
    <xsl:variable name="entries" select="st:index-entries(.)"/>
    <xsl:call-template name="st:index-page">
      <xsl:with-param name="entries" select="$entries"/>
      <xsl:with-param name="mentions" select="count($entries//st:occurrence)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An index computed in parts (index-model.xsl): the page with, in each letter's list,
       the comment 'st:entries N' (N: the letter's place on the page) where build.py puts
       the entries of that letter, rendered a run at a time by the template below. -->
  <xsl:template match="document-node(element(st:entries))[st:entries/@part = 'frame']">
    <xsl:call-template name="st:index-page">
      <xsl:with-param name="entries" select="st:entries/st:entry"/>
      <xsl:with-param name="mentions" select="xs:integer(st:entries/@mentions)"/>
      <xsl:with-param name="frame" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="document-node(element(st:entries))[st:entries/@part = 'entries']">
    <xsl:apply-templates select="st:entries/st:entry" mode="st:index-html"/>
  </xsl:template>

  <xsl:template name="st:index-page">
    <xsl:param name="entries" as="element(st:entry)*"/>
    <xsl:param name="mentions" as="xs:integer"/>
    <xsl:param name="frame" as="xs:boolean" select="false()"/>
    <xsl:variable name="labels" select="$st:kind-labels($st:kind)"/>
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="$labels[1]"/>
      <xsl:with-param name="current" select="$st:kind"/>
      <xsl:with-param name="header">
        <div class="doc-header">
          <h1><xsl:value-of select="$labels[1]"/></h1>
          <p>
            <xsl:value-of select="count($entries) || ' ' || $labels[if (count($entries) = 1) then 2
                else 3] || ', ' || $mentions || ' mentions.'"/>
            <xsl:if test="$st:kind = ('person', 'place')">
              <xsl:variable name="base" select="substring-before($st:index-pages($st:kind), '.')"/>
              <xsl:text> Also as </xsl:text>
              <a href="{$base}.json" type="application/json">JSON</a>
              <xsl:text> and </xsl:text>
              <a href="{$base}.csv" type="text/csv">CSV</a>
              <xsl:text>.</xsl:text>
            </xsl:if>
          </p>
        </div>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
      <xsl:with-param name="entries" select="$entries" tunnel="yes"/>
      <xsl:with-param name="frame" select="$frame" tunnel="yes"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="st:page-content">
    <xsl:param name="entries" as="element(st:entry)*" tunnel="yes"/>
    <xsl:param name="frame" as="xs:boolean" tunnel="yes"/>
    <xsl:if test="$entries">
      <nav class="letters" aria-label="Letters">
        <ul>
          <xsl:for-each-group select="$entries" group-adjacent="@letter">
            <li>
              <a href="#{st:letter-id(current-grouping-key())}">
                <xsl:value-of select="current-grouping-key()"/>
              </a>
            </li>
          </xsl:for-each-group>
        </ul>
      </nav>
    </xsl:if>
    <xsl:for-each-group select="$entries" group-adjacent="@letter">
      <section class="letter" id="{st:letter-id(current-grouping-key())}">
        <h2><xsl:value-of select="current-grouping-key()"/></h2>
        <dl class="index">
          <xsl:choose>
            <xsl:when test="$frame">
              <xsl:comment select="'st:entries ' || position()"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:apply-templates select="current-group()" mode="st:index-html"/>
            </xsl:otherwise>
          </xsl:choose>
        </dl>
      </section>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template match="st:entry" mode="st:index-html">
    <div class="entry" id="{@id}">
      <dt>
        <span class="entry-name"><xsl:value-of select="@name"/></span>
        <xsl:if test="normalize-space(@life)">
          <xsl:text> </xsl:text>
          <span class="life">
            <xsl:text>(</xsl:text>
            <xsl:apply-templates select="@birth, @death" mode="#current"/>
            <xsl:text>)</xsl:text>
          </span>
        </xsl:if>
      </dt>
      <xsl:if test="normalize-space(@identification)">
        <dd class="identification"><xsl:value-of select="@identification"/></dd>
      </xsl:if>
      <xsl:if test="@authority = 'false'">
        <dd class="identification unresolved">Not identified in this edition's registers.</dd>
      </xsl:if>
      <xsl:if test="st:idno">
        <dd class="idno">
          <xsl:text>Authority records: </xsl:text>
          <ul><xsl:apply-templates select="st:idno" mode="#current"/></ul>
        </dd>
      </xsl:if>
      <dd class="variants">
        <xsl:text>In the texts: </xsl:text>
        <xsl:value-of select="st:variant ! ('“' || . || '”')" separator=", "/>
      </dd>
      <dd class="occurrences">
        <ul>
          <xsl:apply-templates select="st:doc" mode="#current"/>
        </ul>
      </dd>
    </div>
  </xsl:template>

  <xsl:template match="@birth | @death" mode="st:index-html">
    <xsl:variable name="year" select="tokenize(../@life, '–')[if (name(current()) = 'birth') then 1 else 2]"/>
    <xsl:if test="name() = 'death'">–</xsl:if>
    <xsl:choose>
      <xsl:when test="normalize-space(.)">
        <time datetime="{.}"><xsl:value-of select="$year"/></time>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$year"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="st:idno[@href]" mode="st:index-html">
    <li><a href="{@href}"><xsl:value-of select="@label || ' ' || @id"/></a></li>
  </xsl:template>
  <xsl:template match="st:idno" mode="st:index-html">
    <li><xsl:value-of select="@label || ' ' || @id"/></li>
  </xsl:template>

  <!-- A document's mentions: its short title, then each mention with the entry it is in and
       the words around it, linked to its place in the text. -->
  <xsl:template match="st:doc" mode="st:index-html">
    <li>
      <a href="{@id}.html" title="{@title}"><cite><xsl:value-of select="@short"/></cite></a>
      <xsl:value-of select="' (' || @count || ')'"/>
      <ol>
        <xsl:apply-templates select="st:occurrence" mode="#current"/>
      </ol>
    </li>
  </xsl:template>

  <xsl:template match="st:occurrence" mode="st:index-html">
    <li>
      <a href="{../@id}.html#{@anchor}">
        <xsl:if test="normalize-space(@where)">
          <span class="where"><xsl:value-of select="@where"/></span>
          <xsl:text>: </xsl:text>
        </xsl:if>
        <span class="context">
          <xsl:value-of select="@before ! (if (. != '') then . || ' ' else '')"/>
          <b><xsl:value-of select="@text"/></b>
          <xsl:value-of select="@after ! (if (. != '' and not(matches(., '^[.,;:!?)’”]')))
              then ' ' || . else .)"/>
        </span>
      </a>
    </li>
  </xsl:template>

</xsl:stylesheet>
