<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared helpers of the TEI-to-HTML modules: the modes, the class/lang attributes of
  an output element, block detection, heading levels, division ids, note numbers and
  labels. Included by tei-html.xsl.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:mode name="st:html" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:notes" on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:bibl" on-no-match="text-only-copy" use-accumulators="#all"/>
  <xsl:mode name="st:toc" on-no-match="fail" use-accumulators="#all"/>

  <!-- ===== helpers ===== -->

  <!-- class (fixed base plus known @rend tokens) and lang (from xml:lang) on the current output element. -->
  <xsl:template name="st:attrs">
    <xsl:param name="class" as="xs:string*" select="()"/>
    <xsl:param name="source" as="element()" select="."/>
    <xsl:variable name="classes" select="distinct-values(($class, st:rend($source)))"/>
    <xsl:if test="exists($classes)">
      <xsl:attribute name="class" select="$classes" separator=" "/>
    </xsl:if>
    <xsl:if test="$source/@xml:lang and st:lang-ok($source/@xml:lang)">
      <xsl:attribute name="lang" select="$source/@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- The language in scope at a node (its nearest xml:lang), or $default. -->
  <xsl:function name="st:lang-of" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="default" as="xs:string"/>
    <xsl:variable name="lang" select="string(($node/ancestor-or-self::*/@xml:lang)[last()])"/>
    <xsl:sequence select="if (st:lang-ok($lang)) then $lang else $default"/>
  </xsl:function>

  <!-- Elements that become HTML blocks: an element holding one is rendered as a div, not a p. -->
  <xsl:function name="st:has-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e//(tei:p | tei:ab | tei:lg | tei:l | tei:list | tei:table
        | tei:sp | tei:div | tei:head | tei:castList | tei:figure | tei:floatingText
        | tei:opener | tei:closer | tei:speaker)
        [not(ancestor::tei:note except $e/ancestor-or-self::tei:note)])"/>
  </xsl:function>

  <xsl:function name="st:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <!-- front and back add a level only when they have a heading of their own. -->
    <xsl:sequence select="min((6, 1 + count($head/ancestor::tei:div
        | $head/ancestor::tei:castList | $head/ancestor::tei:front[tei:head]
        | $head/ancestor::tei:back[tei:head])))"/>
  </xsl:function>

  <xsl:function name="st:div-id" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:sequence select="string(($div/@xml:id,
        'div' || count($div/preceding::tei:div | $div/ancestor::tei:div) + 1)[1])"/>
  </xsl:function>

  <!-- A naming element is a link when it resolves, and no enclosing name or ref is one already. -->
  <xsl:function name="st:linked" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists(st:entity($e)) and map:contains($st:index-pages, st:kind($e))
        and not($e/ancestor::*[self::tei:persName | self::tei:placeName | self::tei:orgName
            | self::tei:name | self::tei:rs | self::tei:title[@ref]][exists(st:entity(.))])
        and not($e/ancestor::tei:ref)"
        xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <!-- Notes: the id of the note and its visible label. -->
  <xsl:function name="st:note-number" as="xs:integer">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:variable name="n" as="xs:string">
      <xsl:number select="$note" level="any" count="tei:note" from="tei:text"/>
    </xsl:variable>
    <xsl:sequence select="xs:integer($n)"/>
  </xsl:function>

  <xsl:function name="st:note-label" as="xs:string">
    <xsl:param name="note" as="element(tei:note)"/>
    <xsl:apply-templates select="$note" mode="st:note-label"/>
  </xsl:function>

  <xsl:mode name="st:note-label" on-no-match="fail"/>
  <xsl:template match="tei:note[normalize-space(translate(@n, '[]()', ''))]" mode="st:note-label"
      as="xs:string" priority="3">
    <xsl:sequence select="normalize-space(translate(@n, '[]()', ''))"/>
  </xsl:template>
  <xsl:template match="tei:note[@type = 'editorial']" mode="st:note-label" as="xs:string"
      priority="2">
    <xsl:variable name="n" as="xs:string">
      <xsl:number level="any" count="tei:note[@type = 'editorial']" from="tei:text"/>
    </xsl:variable>
    <xsl:sequence select="'e' || $n"/>
  </xsl:template>
  <xsl:template match="tei:note" mode="st:note-label" as="xs:string">
    <xsl:number level="any" from="tei:text"
        count="tei:note[not(@type = 'editorial')][not(normalize-space(translate(@n, '[]()', '')))]"/>
  </xsl:template>

</xsl:stylesheet>
